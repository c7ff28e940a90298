export async function run() { throw new Error('todo'); }
