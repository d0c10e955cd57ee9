export { renderTable } from '../text-table.js';
export { fmt } from '../number-format.js';

export function printJson(data: unknown): void {
  process.stdout.write(JSON.stringify(data, null, 1) + '\n');
}
