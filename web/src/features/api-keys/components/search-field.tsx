import { useEffect, useRef, useState } from 'react';
import { LIMITS } from '@pulze/shared';
import { useDebouncedValue } from '../../../lib/use-debounced-value';

/** Search as you type: the parent hears the trimmed text 300 ms after the last keystroke. */
export function SearchField({ value, onSearch }: { value: string; onSearch: (search: string) => void }) {
  const [text, setText] = useState(value);
  const debounced = useDebouncedValue(text, 300);
  const inputRef = useRef<HTMLInputElement>(null);
  const lastSent = useRef(value);

  // Follow outside changes (e.g. "Clear search" in the no-results state, back button).
  useEffect(() => {
    if (value !== lastSent.current) {
      lastSent.current = value;
      setText(value);
    }
  }, [value]);

  useEffect(() => {
    const next = debounced.trim();
    if (next !== lastSent.current) {
      lastSent.current = next;
      onSearch(next);
    }
  }, [debounced, onSearch]);

  return (
    <div className="search-field" role="search">
      <svg className="search-icon" width="16" height="16" viewBox="0 0 16 16" aria-hidden="true" focusable="false">
        <circle cx="7" cy="7" r="5" stroke="currentColor" strokeWidth="1.6" fill="none" />
        <path d="M11 11l3.5 3.5" stroke="currentColor" strokeWidth="1.6" strokeLinecap="round" />
      </svg>
      <input
        ref={inputRef}
        type="search"
        aria-label="Search API keys by name"
        placeholder="Search by name"
        maxLength={LIMITS.searchMaxLength}
        value={text}
        onChange={(event) => setText(event.target.value)}
        onKeyDown={(event) => {
          if (event.key === 'Escape' && text) {
            event.preventDefault();
            setText('');
          }
        }}
      />
      {text ? (
        <button
          type="button"
          className="icon-button search-clear"
          aria-label="Clear search"
          onClick={() => {
            setText('');
            lastSent.current = '';
            onSearch('');
            inputRef.current?.focus();
          }}
        >
          <svg width="14" height="14" viewBox="0 0 16 16" aria-hidden="true" focusable="false">
            <path d="M4 4l8 8M12 4l-8 8" stroke="currentColor" strokeWidth="1.8" strokeLinecap="round" />
          </svg>
        </button>
      ) : null}
    </div>
  );
}
