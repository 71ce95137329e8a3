/**
 * What a reliability scenario tried and what held: each check is a named property with the figures behind it.
 * A scenario prints its checks as it goes; the run fails (exit 1) when any check did not hold.
 */

export interface CheckResult {
  scenario: string;
  name: string;
  held: boolean;
  figures: string;
}

export class Checks {
  readonly results: CheckResult[] = [];
  private readonly tried: string[] = [];

  constructor(readonly scenario: string) {}

  /** Records what the scenario did (printed as it happens). */
  tried_(what: string): void {
    this.tried.push(what);
    console.log(`  [${this.scenario}] tried: ${what}`);
  }

  check(name: string, held: boolean, figures: string): boolean {
    this.results.push({ scenario: this.scenario, name, held, figures });
    console.log(`  [${this.scenario}] ${held ? 'held  ' : 'FAILED'} ${name} — ${figures}`);
    return held;
  }

  get allHeld(): boolean {
    return this.results.length > 0 && this.results.every((result) => result.held);
  }
}
