// Injection tokens for the platform's shared resources.
export const CONFIG = Symbol('MinyiConfig');
export const POOLS = Symbol('Pools');
