import { useId, useRef, type KeyboardEvent, type ReactNode } from "react";

export interface RadioCard {
  id: string;
  label: string;
  /** Read after the label (e.g. a genre's description). */
  description?: string;
  /** Drawn above the label (e.g. a style's picture). */
  media?: ReactNode;
}

interface Props {
  /** Id of the element naming the group. */
  labelledBy: string;
  options: RadioCard[];
  value: string;
  onChange(id: string): void;
  className?: string;
  describedBy?: string;
  invalid?: boolean;
}

const NEXT: Record<string, number> = { ArrowRight: 1, ArrowDown: 1, ArrowLeft: -1, ArrowUp: -1 };

/** A radio group of buttons (WAI-ARIA radio pattern: one tab stop, arrow keys move the choice). */
export function RadioCards({ labelledBy, options, value, onChange, className, describedBy, invalid }: Props) {
  const base = useId();
  const refs = useRef<(HTMLButtonElement | null)[]>([]);
  const selected = Math.max(0, options.findIndex((o) => o.id === value));

  const move = (event: KeyboardEvent, index: number) => {
    let to: number | null = null;
    if (event.key in NEXT) to = (index + NEXT[event.key] + options.length) % options.length;
    else if (event.key === "Home") to = 0;
    else if (event.key === "End") to = options.length - 1;
    if (to === null) return;
    event.preventDefault();
    onChange(options[to].id);
    refs.current[to]?.focus();
  };

  return (
    <div
      role="radiogroup"
      aria-labelledby={labelledBy}
      aria-describedby={describedBy}
      aria-invalid={invalid || undefined}
      className={`cards ${className ?? ""}`}
    >
      {options.map((option, i) => {
        const checked = option.id === value;
        return (
          <button
            key={option.id}
            ref={(el) => { refs.current[i] = el; }}
            type="button"
            role="radio"
            aria-checked={checked}
            aria-labelledby={`${base}-${i}-label`}
            aria-describedby={option.description ? `${base}-${i}-desc` : undefined}
            tabIndex={i === selected ? 0 : -1}
            className="card"
            onClick={() => onChange(option.id)}
            onKeyDown={(e) => move(e, i)}
          >
            {option.media}
            <span className="card-label" id={`${base}-${i}-label`}>{option.label}</span>
            {option.description && (
              <span className="card-desc" id={`${base}-${i}-desc`}>{option.description}</span>
            )}
          </button>
        );
      })}
    </div>
  );
}
