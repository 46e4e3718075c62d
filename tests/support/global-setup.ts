/** Runs once before all tests. Builds the renderer when an end-to-end test will need it. */
export function setup(): void {
  // Filled in when the e2e tier lands.
}
