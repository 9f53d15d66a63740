// The GraphiQL page of EventStore (docs/api.md#graphql-ide). Built by eng/graphiql/build.sh; no CDN at run time.
import './workers.js';
import React from 'react';
import { createRoot } from 'react-dom/client';
import { GraphiQL } from 'graphiql';
import { createGraphiQLFetcher } from '@graphiql/toolkit';
import 'graphiql/style.css';

// Same origin: the page is served by the API it queries. The token goes in the Headers editor, kept by GraphiQL in
// this browser's localStorage only.
const fetcher = createGraphiQLFetcher({ url: new URL('/graphql', window.location.href).toString() });

const defaultQuery = `# Sign in with the login mutation, then put the token in Headers below:
#   { "Authorization": "Bearer <token>" }
query Instruments {
  instruments {
    symbol
  }
}
`;

createRoot(document.getElementById('graphiql')).render(
  React.createElement(GraphiQL, {
    fetcher,
    defaultQuery,
    defaultEditorToolsVisibility: 'headers',
    isHeadersEditorEnabled: true,
    shouldPersistHeaders: true,
  }),
);
