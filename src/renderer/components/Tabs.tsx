import { useId, useRef, type KeyboardEvent, type ReactNode } from 'react';

export interface TabItem {
  id: string;
  label: string;
  panel: ReactNode;
}

/**
 * WAI-ARIA tabs with automatic activation: one tab stop for the list, arrows / Home / End
 * move and select. Written here rather than taken from Radix to keep ~7 KB out of the bundle.
 * `keepMounted` renders every panel and hides the inactive ones, so a panel keeps its state
 * (a half-filled form, a result) while another tab is in view.
 */
export function Tabs({
  label,
  items,
  selected,
  onSelect,
  keepMounted = false,
}: {
  label: string;
  items: TabItem[];
  selected: string;
  onSelect: (id: string) => void;
  keepMounted?: boolean;
}) {
  const base = useId();
  const refs = useRef<Record<string, HTMLButtonElement | null>>({});
  const current = items.find((i) => i.id === selected) ?? items[0];

  function onKeyDown(e: KeyboardEvent<HTMLDivElement>) {
    const index = items.findIndex((i) => i.id === current?.id);
    let next = -1;
    // Right-to-left (Arabic), the list runs from the right: the arrows follow what is seen.
    const rtl = getComputedStyle(e.currentTarget).direction === 'rtl';
    const forward = rtl ? 'ArrowLeft' : 'ArrowRight';
    const back = rtl ? 'ArrowRight' : 'ArrowLeft';
    if (e.key === forward) next = (index + 1) % items.length;
    else if (e.key === back) next = (index - 1 + items.length) % items.length;
    else if (e.key === 'Home') next = 0;
    else if (e.key === 'End') next = items.length - 1;
    const item = items[next];
    if (!item) return;
    e.preventDefault();
    onSelect(item.id);
    refs.current[item.id]?.focus();
  }

  return (
    <div className="tabs">
      <div role="tablist" aria-label={label} className="tab-list" onKeyDown={onKeyDown}>
        {items.map((item) => {
          const active = item.id === current?.id;
          return (
            <button
              key={item.id}
              ref={(el) => {
                refs.current[item.id] = el;
              }}
              type="button"
              role="tab"
              id={`${base}-tab-${item.id}`}
              aria-selected={active}
              aria-controls={`${base}-panel-${item.id}`}
              tabIndex={active ? 0 : -1}
              className="tab"
              onClick={() => onSelect(item.id)}
            >
              {item.label}
            </button>
          );
        })}
      </div>
      {(keepMounted ? items : current ? [current] : []).map((item) => (
        <div
          key={item.id}
          role="tabpanel"
          id={`${base}-panel-${item.id}`}
          aria-labelledby={`${base}-tab-${item.id}`}
          hidden={item.id !== current?.id}
          className="tab-panel"
        >
          {item.panel}
        </div>
      ))}
    </div>
  );
}
