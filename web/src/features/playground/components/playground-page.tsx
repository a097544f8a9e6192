import { useMemo } from 'react';
import { GraphiQL } from 'graphiql';
import { createGraphiQLFetcher } from '@graphiql/toolkit';
import 'graphiql/graphiql.css';
import { getToken } from '../../../lib/auth-storage';
import { GRAPHQL_PATH } from '../../../lib/config';

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

/** GraphiQL, bundled (works offline), sending the signed-in person's token. */
export default function PlaygroundPage() {
  const fetcher = useMemo(
    () =>
      createGraphiQLFetcher({
        url: new URL(GRAPHQL_PATH, window.location.origin).toString(),
        fetch: (input, init) => {
          const headers = new Headers(init?.headers);
          const token = getToken();
          if (token) headers.set('authorization', `Bearer ${token}`);
          return window.fetch(input, { ...init, headers });
        },
      }),
    [],
  );
  return (
    <main className="playground" aria-label="GraphQL playground">
      <h1 className="sr-only">GraphQL playground</h1>
      <GraphiQL fetcher={fetcher} defaultQuery={DEFAULT_QUERY} shouldPersistHeaders={false} />
    </main>
  );
}
