// Errors the stores throw for bad input or a refused edit; the server maps them onto the wire's {code, field}.

import { CuesmithError } from "../../shared/errors";

export class StoreError extends CuesmithError<"invalid_field" | "forbidden"> {
  constructor(code: "invalid_field" | "forbidden", message: string, field?: string) {
    super(code, message, { field });
  }
}
