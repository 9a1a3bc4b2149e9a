// Errors the stores throw for bad input or a refused edit; the server maps them onto the wire's {code, field}.

export class StoreError extends Error {
  constructor(
    readonly code: "invalid_field" | "forbidden",
    message: string,
    readonly field?: string,
  ) {
    super(message);
    this.name = "StoreError";
  }
}
