import { Link } from 'react-router';
import { EmptyState } from '../../components/ui/states';

export function NotFound() {
  return (
    <main className="page">
      <EmptyState title="Page not found">
        <p>The page you are looking for does not exist.</p>
        <Link className="btn btn-primary" to="/">
          Go to API keys
        </Link>
      </EmptyState>
    </main>
  );
}
