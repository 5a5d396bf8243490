// A task module as a user writes it; only its types are used by pool-types.ts.
export function square(x: number): number {
  return x * x;
}
export async function fetchName(id: number): Promise<string> {
  return `user ${id}`;
}
export function* countTo(n: number): Generator<number> {
  for (let i = 1; i <= n; i++) yield i;
}
export const version = '1.0';
