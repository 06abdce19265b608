/** Registers one reliability case (run concurrently with the others, counted in the closing figure). */
export type RegisterCase = (name: string, fn: () => Promise<void>, timeoutMs?: number) => void;
