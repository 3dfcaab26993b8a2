// The only platform API that shared/ may name: AbortSignal, which Node and browsers both provide
// with this shape. Used by `tsc -p shared/tsconfig.json`, which type-checks shared/ with no Node
// and no DOM types, so that any other platform API in shared/ is an error.
interface AbortSignal {
  readonly aborted: boolean;
  readonly reason: unknown;
  addEventListener(type: 'abort', listener: () => void, options?: { once?: boolean }): void;
  removeEventListener(type: 'abort', listener: () => void): void;
}
