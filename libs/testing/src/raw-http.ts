// A raw TCP connection to an HTTP server, for tests that must control every byte and its timing: slow headers,
// a body trickled byte by byte, a Content-Length the body never reaches, a body the server should not read.
import { connect, type Socket } from 'node:net';
import { waitFor } from './free-port.js';

export class RawConnection {
  received = Buffer.alloc(0);
  closed = false;
  /** Set when a write failed because the server had closed or reset the connection. */
  writeError: Error | null = null;

  private constructor(private readonly socket: Socket) {
    socket.on('data', (d: Buffer) => (this.received = Buffer.concat([this.received, d])));
    socket.on('close', () => (this.closed = true));
    socket.on('error', (err) => (this.writeError ??= err));
  }

  static open(baseUrl: string): Promise<RawConnection> {
    const { hostname, port } = new URL(baseUrl);
    return new Promise((resolve, reject) => {
      const socket = connect({ host: hostname, port: Number(port) }, () => resolve(new RawConnection(socket)));
      socket.once('error', reject);
    });
  }

  /** Writes and waits until the bytes are handed to the kernel; false when the connection is gone. */
  write(data: string | Buffer): Promise<boolean> {
    if (this.closed || this.socket.destroyed) return Promise.resolve(false);
    return new Promise((resolve) => this.socket.write(data, (err) => resolve(!err)));
  }

  get text(): string {
    return this.received.toString('utf8');
  }

  /** The status of the first response, once its head has arrived; null if none came. */
  get status(): number | null {
    const m = /^HTTP\/1\.1 (\d{3}) /.exec(this.text);
    return m ? Number(m[1]) : null;
  }

  header(name: string): string | null {
    const head = this.text.split('\r\n\r\n', 1)[0];
    const line = head.split('\r\n').find((l) => l.toLowerCase().startsWith(`${name.toLowerCase()}:`));
    return line ? line.slice(name.length + 1).trim() : null;
  }

  /** The body of the first response (the connection must have sent it whole). */
  get body(): string {
    const i = this.text.indexOf('\r\n\r\n');
    return i < 0 ? '' : this.text.slice(i + 4);
  }

  /** Waits until a whole response head has arrived, or the connection closed. */
  async response(what: string, timeoutMs = 10_000): Promise<void> {
    await waitFor(what, async () => this.text.includes('\r\n\r\n') || this.closed, timeoutMs, 20);
  }

  /** Waits until the server has closed the connection. */
  async closedByServer(what: string, timeoutMs: number): Promise<void> {
    await waitFor(what, async () => this.closed, timeoutMs, 20);
  }

  destroy(): void {
    this.socket.destroy();
  }
}
