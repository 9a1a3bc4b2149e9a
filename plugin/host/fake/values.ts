/**
 * FakePpro's small value objects: Guid, TickTime (which remembers whether it was made from float seconds), and
 * the Action / CompoundAction pair that executeTransaction commits.
 */
import { ticksToSeconds } from "../../../shared/time";
import type { FakePpro } from "./fake-ppro";
import { FakePproRuleError, type FakeEdit, type FakeFaultPoint, type ProjectState } from "./types";

export class FakeGuid {
  constructor(private readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

export class FakeTickTime {
  /** True when made from float seconds: the fake refuses those where an edit needs exact ticks. */
  readonly fromSeconds: boolean;
  readonly value: bigint;
  constructor(value: bigint, fromSeconds = false) {
    this.value = value;
    this.fromSeconds = fromSeconds;
  }
  get ticks(): string {
    return this.value.toString();
  }
  get ticksNumber(): number {
    return Number(this.value);
  }
  get seconds(): number {
    return ticksToSeconds(this.value);
  }
  equals(other: FakeTickTime): boolean {
    return other instanceof FakeTickTime && other.value === this.value;
  }
  add(other: FakeTickTime): FakeTickTime {
    return new FakeTickTime(this.value + other.value, this.fromSeconds || other.fromSeconds);
  }
  subtract(other: FakeTickTime): FakeTickTime {
    return new FakeTickTime(this.value - other.value, this.fromSeconds || other.fromSeconds);
  }
}

export interface FakeActionSpec {
  describe: string;
  apply(state: ProjectState, edit: FakeEdit): void;
  isPlacement: boolean;
  isBin: boolean;
  /** The fault point (FakePpro.failNext) that makes this action fail when its transaction commits. */
  fault?: FakeFaultPoint;
}

export class FakeAction {
  used = false;
  constructor(
    readonly session: number,
    readonly spec: FakeActionSpec,
  ) {}
}

export class FakeCompoundAction {
  readonly actions: FakeAction[] = [];
  closed = false;
  constructor(
    private readonly fake: FakePpro,
    readonly session: number,
  ) {}
  get empty(): boolean {
    return this.actions.length === 0;
  }
  addAction(action: FakeAction): boolean {
    if (this.closed)
      throw new FakePproRuleError(
        "ADD_ACTION_OUTSIDE_TRANSACTION",
        "addAction called after the executeTransaction callback returned.",
      );
    if (!(action instanceof FakeAction))
      throw new TypeError("[FakePpro] addAction needs an Action created by the API.");
    if (action.session !== this.session || !this.fake.inLockSession(action.session)) {
      throw new FakePproRuleError(
        "STALE_ACTION",
        `Action "${action.spec.describe}" was created in another lockedAccess call; create actions in the lock that commits them.`,
      );
    }
    if (action.used || this.actions.includes(action))
      throw new FakePproRuleError(
        "ACTION_REUSED",
        `Action "${action.spec.describe}" was already added to a transaction.`,
      );
    action.used = true;
    this.actions.push(action);
    return true;
  }
}
