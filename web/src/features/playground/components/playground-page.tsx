import { useEffect, useMemo, useRef } from 'react';
import { GraphiQL } from 'graphiql';
import { createGraphiQLFetcher } from '@graphiql/toolkit';
import 'graphiql/graphiql.css';
import './playground.css';
import { GRAPHQL_PATH } from '../../../lib/config';
import { useDocumentTitle } from '../../../lib/use-document-title';

const DEFAULT_QUERY = `# Explore the Pulze API. Requests are sent with your session token.
query MyOrganizations {
  viewer {
    name
    email
    organizations {
      id
      name
      subscription { plan status }
    }
  }
}
`;

const EDITOR_LABELS: [string, string][] = [
  ['.graphiql-query-editor', 'GraphQL query editor'],
  ['.graphiql-editor-tool .graphiql-editor:nth-child(1)', 'Variables editor (JSON)'],
  ['.graphiql-editor-tool .graphiql-editor:nth-child(2)', 'Headers editor (JSON)'],
  ['.graphiql-response', 'Response'],
];

/**
 * GraphiQL's CodeMirror editors come without accessible names and with scroll areas that the
 * keyboard cannot reach; name them and make them focusable as they appear.
 */
function useEditorAccessibility(root: React.RefObject<HTMLElement | null>) {
  useEffect(() => {
    const element = root.current;
    if (!element) return;
    const patch = () => {
      for (const [selector, label] of EDITOR_LABELS) {
        element.querySelectorAll<HTMLTextAreaElement>(`${selector} textarea`).forEach((area) => {
          if (area.getAttribute('aria-label') !== label) area.setAttribute('aria-label', label);
        });
      }
      element.querySelectorAll<HTMLElement>('.CodeMirror-scroll').forEach((scroll) => {
        if (scroll.tabIndex !== 0) scroll.tabIndex = 0;
      });
    };
    patch();
    const observer = new MutationObserver(patch);
    observer.observe(element, { childList: true, subtree: true });
    return () => observer.disconnect();
  }, [root]);
}

/** GraphiQL, bundled (works offline), as the signed-in person (their session cookie). */
export default function PlaygroundPage() {
  useDocumentTitle('GraphQL playground');
  const rootRef = useRef<HTMLElement>(null);
  useEditorAccessibility(rootRef);
  const fetcher = useMemo(
    () =>
      createGraphiQLFetcher({
        url: new URL(GRAPHQL_PATH, window.location.origin).toString(),
        // The session cookie goes with every same-origin request.
        fetch: (input, init) => window.fetch(input, { ...init, credentials: 'same-origin' }),
      }),
    [],
  );
  return (
    <main ref={rootRef} className="playground" aria-label="GraphQL playground">
      <h1 className="sr-only">GraphQL playground</h1>
      <GraphiQL fetcher={fetcher} defaultQuery={DEFAULT_QUERY} shouldPersistHeaders={false} />
    </main>
  );
}
