/** A tiny typed event emitter for isomorphic code (no Node `events`). */
export type Listener<T> = (data: T) => void;

// biome-ignore lint/suspicious/noExplicitAny: event maps are arbitrary object types
export class Emitter<Events extends Record<string, any>> {
  private readonly listeners = new Map<keyof Events, Set<Listener<never>>>();

  on<E extends keyof Events>(event: E, listener: Listener<Events[E]>): () => void {
    let set = this.listeners.get(event);
    if (!set) {
      set = new Set();
      this.listeners.set(event, set);
    }
    set.add(listener as Listener<never>);
    return () => {
      set.delete(listener as Listener<never>);
    };
  }

  once<E extends keyof Events>(event: E, listener: Listener<Events[E]>): () => void {
    const off = this.on(event, (data) => {
      off();
      listener(data);
    });
    return off;
  }

  emit<E extends keyof Events>(event: E, data: Events[E]): void {
    const set = this.listeners.get(event);
    if (!set) return;
    for (const l of [...set]) (l as Listener<Events[E]>)(data);
  }

  removeAll(): void {
    this.listeners.clear();
  }
}
