// Fault injection on a real socket: a TCP server on 127.0.0.1 that speaks the start of the
// PostgreSQL wire protocol and refuses every login with one ErrorResponse, as a server does for a
// wrong password (28P01) or a pg_hba.conf rule that requires TLS (28000). The client is the real
// `pg` driver inside the real CLI.
import { createServer, type Server, type Socket } from 'node:net';

const sslRequestCode = 80877103;
const gssRequestCode = 80877104;

/** An ErrorResponse message: severity, SQLSTATE and message fields. */
function errorResponse(sqlState: string, message: string): Buffer {
  const fields = Buffer.concat(
    [
      ['S', 'FATAL'],
      ['V', 'FATAL'],
      ['C', sqlState],
      ['M', message],
    ].map(([type, value]) => Buffer.concat([Buffer.from(type as string), Buffer.from(`${value}\0`)])),
  );
  const body = Buffer.concat([fields, Buffer.from([0])]);
  const header = Buffer.alloc(5);
  header.write('E', 0);
  header.writeInt32BE(body.length + 4, 1);
  return Buffer.concat([header, body]);
}

function answer(socket: Socket, reply: Buffer): void {
  let pending = Buffer.alloc(0);
  socket.on('error', () => {});
  socket.on('data', (chunk) => {
    pending = Buffer.concat([pending, chunk]);
    while (pending.length >= 8) {
      const length = pending.readInt32BE(0);
      if (pending.length < length) return;
      const code = pending.readInt32BE(4);
      pending = pending.subarray(length);
      // No TLS, no GSS here: the client goes on in plain text (or gives up if it insists).
      if (code === sslRequestCode || code === gssRequestCode) socket.write('N');
      else {
        socket.end(reply);
        return;
      }
    }
  });
}

/** Starts the server; its URL's host and port are in `address`. */
export async function refusingServer(
  sqlState: string,
  message: string,
): Promise<{ port: number; close(): Promise<void> }> {
  const server: Server = createServer((socket) => answer(socket, errorResponse(sqlState, message)));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  return {
    port: address.port,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** A port on 127.0.0.1 nothing listens on (bound, then closed). */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}
