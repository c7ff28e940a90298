// Who a bearer token stands for, and the port that turns a token into that principal.
/** What a client (an app of hotline desks, officers' phones, survey kiosks) may do: file into a channel, or take case steps. */
export const CLIENT_SCOPES = ['complaints:write', 'visits:write', 'surveys:write', 'cases:write'] as const;
export type ClientScope = (typeof CLIENT_SCOPES)[number];

export type Principal =
  | { kind: 'admin' }
  | { kind: 'terminal'; terminalId: string; windowId: string; unitId: string }
  | { kind: 'reader'; readerId: string; role: 'analyst' | 'leader'; unitId: string | null }
  /** A client bound to `unitId` may act only for that unit and the units below it; without one, for every unit. */
  | { kind: 'client'; clientId: string; scopes: ClientScope[]; unitId: string | null };

export type PrincipalKind = Principal['kind'];

/** Turns a bearer token into the principal it was issued to, or null when nobody issued it. */
export interface CredentialResolver {
  resolve(token: string): Promise<Principal | null>;
}
export const CREDENTIAL_RESOLVER = Symbol('CredentialResolver');

export function actorOf(p: Principal): string {
  switch (p.kind) {
    case 'admin':
      return 'admin';
    case 'terminal':
      return `terminal:${p.terminalId}`;
    case 'reader':
      return `reader:${p.readerId}`;
    case 'client':
      return `client:${p.clientId}`;
  }
}
