// Subscribes to live quotes with the unmodified npm `graphql-ws` client, as a front-end would, and exits 0 once two
// updates arrived (non-zero on error or after the time limit). Usage: node smoke.mjs <ws-url> <jwt>
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';

const [url, token] = process.argv.slice(2);
const wanted = 2;
const client = createClient({ url, webSocketImpl: WebSocket, connectionParams: { authorization: `Bearer ${token}` }, retryAttempts: 0 });
const timer = setTimeout(() => { console.error('timed out waiting for quotes'); process.exit(2); }, 30_000);

let received = 0;
client.subscribe(
  { query: 'subscription { quotes(symbols: ["AAPL", "MSFT"]) { sequence symbol bid ask } }' },
  {
    next: (result) => {
      if (result.errors) { console.error(JSON.stringify(result.errors)); process.exit(1); }
      received += 1;
      console.log(`next ${received}: ${JSON.stringify(result.data.quotes)}`);
      if (received >= wanted) { clearTimeout(timer); client.dispose(); console.log('graphql-ws smoke: OK'); process.exit(0); }
    },
    error: (error) => { console.error('subscription error', error); process.exit(1); },
    complete: () => {},
  },
);
