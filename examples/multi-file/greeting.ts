// Shared text helpers, imported with NodeNext `.js` specifiers like every relative import here.
export function greetingFor(caller: string | undefined): string {
  return caller ? `Hello ${caller}, thanks for calling.` : 'Hello, thanks for calling.';
}
