import type { ReactNode } from 'react';

/**
 * A button that shows or hides another element. Give `expanded` for a disclosure (details,
 * a request's exchange) or `pressed` for an on/off switch (show password): one place for
 * the ARIA pair, so every toggle tells a screen reader its state and what it controls.
 */
export function ToggleButton({
  expanded,
  pressed,
  onToggle,
  controls,
  className,
  children,
}: {
  expanded?: boolean;
  pressed?: boolean;
  /** Called with the new state. */
  onToggle: (on: boolean) => void;
  /** The id of the element it shows or hides. */
  controls: string;
  className: string;
  children: ReactNode;
}) {
  return (
    <button
      type="button"
      className={className}
      aria-expanded={expanded}
      aria-pressed={pressed}
      aria-controls={controls}
      onClick={() => onToggle(!(expanded ?? pressed))}
    >
      {children}
    </button>
  );
}
