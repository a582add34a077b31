import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { Webhook } from 'standardwebhooks';

/** What the receiver does with the next request to an endpoint. */
export type Behaviour = 'ok' | 500 | 'hang';

export interface ReceivedDelivery {
  path: string;
  id: string;
  timestamp: number;
  body: unknown;
  rawBody: string;
  headers: Record<string, string>;
  verified: boolean;
  /** what the receiver answered */
  answered: Behaviour;
}

interface Endpoint {
  secret: string | null;
  plan: Behaviour[];
  /** how long the receiver takes to answer (a slow peer) */
  delayMs: number;
  inFlight: number;
  maxInFlight: number;
  /** webhook-ids processed, in the order they were first accepted: the receiver deduplicates on them */
  processed: string[];
}

/**
 * A real HTTP receiver on 127.0.0.1 that verifies Standard Webhooks signatures with the reference
 * library, deduplicates by `webhook-id`, and fails on request: a 500, no answer at all (the sender
 * times out), or not listening (connection refused).
 */
export class WebhookReceiver {
  readonly received: ReceivedDelivery[] = [];
  private readonly endpoints = new Map<string, Endpoint>();
  private readonly sockets = new Set<Socket>();
  private readonly hanging = new Set<http.ServerResponse>();
  private server: http.Server;
  private port = 0;

  private constructor() {
    this.server = this.makeServer();
  }

  static async start(): Promise<WebhookReceiver> {
    const receiver = new WebhookReceiver();
    await receiver.listen(0);
    return receiver;
  }

  url(path: string): string {
    return `http://127.0.0.1:${this.port}${path}`;
  }

  /** Accept deliveries at `path`, verified with `secret` (set it once the creating response shows it). */
  endpoint(path: string, secret: string | null = null, delayMs = 0): void {
    const existing = this.endpoints.get(path);
    this.endpoints.set(path, { secret, plan: existing?.plan ?? [], processed: existing?.processed ?? [], delayMs, inFlight: 0, maxInFlight: existing?.maxInFlight ?? 0 });
  }

  /** The most requests that were ever open at once at `path`. */
  maxConcurrent(path: string): number {
    return this.endpoints.get(path)?.maxInFlight ?? 0;
  }

  setSecret(path: string, secret: string): void {
    this.endpoints.get(path)!.secret = secret;
  }

  /** The answers to the next requests at `path`, in order; after them, 200. */
  plan(path: string, ...behaviours: Behaviour[]): void {
    this.endpoints.get(path)!.plan.push(...behaviours);
  }

  /** Forgets the planned answers: from now on, 200. */
  clearPlan(path: string): void {
    this.endpoints.get(path)!.plan.length = 0;
  }

  processed(path: string): string[] {
    return this.endpoints.get(path)?.processed ?? [];
  }

  /** Stops listening (deliveries meet a refused connection) and keeps the port for `resume`. */
  async pause(): Promise<void> {
    await this.closeServer();
  }

  async resume(): Promise<void> {
    this.server = this.makeServer();
    await this.listen(this.port);
  }

  async close(): Promise<void> {
    await this.closeServer();
  }

  private makeServer(): http.Server {
    const server = http.createServer((req, res) => this.handle(req, res));
    server.on('connection', (socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
    return server;
  }

  private listen(port: number): Promise<void> {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, '127.0.0.1', () => {
        this.port = (this.server.address() as AddressInfo).port;
        resolve();
      });
    });
  }

  private closeServer(): Promise<void> {
    for (const res of this.hanging) res.destroy();
    this.hanging.clear();
    for (const socket of this.sockets) socket.destroy();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const path = req.url ?? '/';
      const endpoint = this.endpoints.get(path);
      if (!endpoint) {
        res.writeHead(404).end();
        return;
      }
      const body = Buffer.concat(chunks).toString('utf8');
      const headers = {
        'webhook-id': String(req.headers['webhook-id'] ?? ''),
        'webhook-timestamp': String(req.headers['webhook-timestamp'] ?? ''),
        'webhook-signature': String(req.headers['webhook-signature'] ?? ''),
      };
      let verified: boolean;
      let parsed: unknown = null;
      try {
        parsed = endpoint.secret ? new Webhook(endpoint.secret).verify(body, headers) : null;
        verified = endpoint.secret !== null;
      } catch {
        verified = false;
      }
      const answered = endpoint.plan.shift() ?? 'ok';
      this.received.push({ path, id: headers['webhook-id'], timestamp: Number(headers['webhook-timestamp']), body: parsed ?? safeJson(body), rawBody: body, headers, verified, answered });
      endpoint.inFlight += 1;
      endpoint.maxInFlight = Math.max(endpoint.maxInFlight, endpoint.inFlight);
      res.on('close', () => (endpoint.inFlight -= 1));
      if (endpoint.delayMs) setTimeout(() => this.answer(endpoint, res, answered, verified, headers['webhook-id']), endpoint.delayMs);
      else this.answer(endpoint, res, answered, verified, headers['webhook-id']);
    });
  }

  private answer(endpoint: Endpoint, res: http.ServerResponse, answered: Behaviour, verified: boolean, id: string): void {
    if (answered === 'hang') {
      this.hanging.add(res);
      res.on('close', () => this.hanging.delete(res));
      return;
    }
    if (answered === 500) {
      res.writeHead(500).end('receiver down');
      return;
    }
    if (!verified) {
      res.writeHead(401).end('bad signature');
      return;
    }
    // deduplication by webhook-id: a retry of something already processed is acknowledged, not processed again
    if (!endpoint.processed.includes(id)) endpoint.processed.push(id);
    res.writeHead(204).end();
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
