/**
 * One judging of a workspace's channel lists at a time in a process. When a day begins, every
 * channel's stored health is stale: without this, each `/channels status` or App Home opened during
 * the first judging would judge the whole workspace again beside it. A caller that comes during a
 * judging waits for it, then judges what is still stale (usually nothing), so nobody is shown
 * health judged before a change they made.
 */
export class JudgingQueue {
  private readonly last = new Map<string, Promise<unknown>>();

  /** Runs `judge` after the workspace's judging in flight, if any. */
  run<T>(workspaceId: string, judge: () => Promise<T>): Promise<T> {
    const before = this.last.get(workspaceId);
    const next = before ? before.then(judge, judge) : judge();
    this.last.set(workspaceId, next);
    const forget = () => {
      if (this.last.get(workspaceId) === next) this.last.delete(workspaceId);
    };
    next.then(forget, forget);
    return next;
  }
}
