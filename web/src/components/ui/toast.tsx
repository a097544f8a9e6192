import { createContext, useCallback, useContext, useMemo, useState, type ReactNode } from 'react';
import { Toast } from 'radix-ui';

type Variant = 'success' | 'error' | 'info';
interface ToastItem {
  id: number;
  title: string;
  description?: string;
  variant: Variant;
}
type Notify = (toast: { title: string; description?: string; variant?: Variant }) => void;

const ToastContext = createContext<Notify>(() => undefined);

/** Radix toasts, announced politely to screen readers; `useToast()` shows one. */
export function ToastProvider({ children }: { children: ReactNode }) {
  const [items, setItems] = useState<ToastItem[]>([]);
  const notify = useCallback<Notify>(({ title, description, variant = 'info' }) => {
    setItems((current) => [...current.slice(-3), { id: Date.now() + Math.random(), title, description, variant }]);
  }, []);
  const value = useMemo(() => notify, [notify]);
  return (
    <ToastContext.Provider value={value}>
      <Toast.Provider swipeDirection="right" duration={4000}>
        {children}
        {items.map((item) => (
          <Toast.Root
            key={item.id}
            className={`toast toast-${item.variant}`}
            type={item.variant === 'error' ? 'foreground' : 'background'}
            onOpenChange={(open) => {
              if (!open) setItems((current) => current.filter((t) => t.id !== item.id));
            }}
          >
            <Toast.Title className="toast-title">{item.title}</Toast.Title>
            {item.description ? <Toast.Description className="toast-description">{item.description}</Toast.Description> : null}
            <Toast.Close className="toast-close" aria-label="Dismiss">
              ×
            </Toast.Close>
          </Toast.Root>
        ))}
        <Toast.Viewport className="toast-viewport" label="Notifications ({hotkey})" />
      </Toast.Provider>
    </ToastContext.Provider>
  );
}

export function useToast(): Notify {
  return useContext(ToastContext);
}
