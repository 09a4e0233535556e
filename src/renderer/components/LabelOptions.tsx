/** The `<option>`s of a select whose values are the keys of a label table, in its order. */
export function LabelOptions<K extends string>({ labels }: { labels: Record<K, string> }) {
  return (Object.keys(labels) as K[]).map((k) => (
    <option key={k} value={k}>
      {labels[k]}
    </option>
  ));
}
