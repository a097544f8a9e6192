import { useState } from 'react';
import { ApolloProvider } from '@apollo/client/react';
import { RouterProvider } from 'react-router';
import { ToastProvider } from '../components/ui/toast';
import { TooltipProvider } from '../components/ui/tooltip';
import { createApolloClient } from '../lib/apollo-client';
import { router } from './router';

export function App() {
  const [client] = useState(createApolloClient);
  return (
    <ApolloProvider client={client}>
      <TooltipProvider>
        <ToastProvider>
          <RouterProvider router={router} />
        </ToastProvider>
      </TooltipProvider>
    </ApolloProvider>
  );
}
