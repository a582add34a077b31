import { defineConfig } from 'vitest/config';

// The browser journey (npm run test:web): one file, one browser, one service, in order.
export default defineConfig({
  test: {
    environment: 'node',
    include: ['e2e/**/*.e2e.ts'],
    testTimeout: 120_000,
    hookTimeout: 180_000,
    fileParallelism: false,
    sequence: { concurrent: false },
  },
});
