// T5 SentencePiece tokenization of prompts, from the folder's tokenizer.json (the real one or a contract model's).
import type { Tokenizer as TokenizerClass } from "@huggingface/tokenizers" with { "resolution-mode": "import" };

// The package is typed as ESM but ships a CommonJS build that Node's require resolves to.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { Tokenizer } = require("@huggingface/tokenizers") as { Tokenizer: typeof TokenizerClass };
type Tokenizer = TokenizerClass;

export interface EncodedBatch {
  /** [batch, length] row-major, padded with `padId`. */
  ids: BigInt64Array;
  mask: BigInt64Array;
  batch: number;
  length: number;
}

export class PromptTokenizer {
  private constructor(
    private readonly tokenizer: Tokenizer,
    readonly padId: number,
    readonly maxLength: number,
  ) {}

  static fromJson(tokenizerJson: object, tokenizerConfig: Record<string, unknown> = {}): PromptTokenizer {
    const tokenizer = new Tokenizer(tokenizerJson, tokenizerConfig);
    const padId = tokenizer.token_to_id(String(tokenizerConfig.pad_token ?? "<pad>")) ?? 0;
    const maxLength =
      typeof tokenizerConfig.model_max_length === "number" && tokenizerConfig.model_max_length < 1e6
        ? tokenizerConfig.model_max_length
        : 512;
    return new PromptTokenizer(tokenizer, padId, maxLength);
  }

  /** Token ids of one prompt, EOS included, truncated to the model's maximum (keeping EOS last). */
  encode(text: string): number[] {
    const ids = this.tokenizer.encode(text).ids;
    return ids.length <= this.maxLength ? ids : [...ids.slice(0, this.maxLength - 1), ids[ids.length - 1]];
  }

  encodeBatch(texts: string[]): EncodedBatch {
    return padBatch(
      texts.map((t) => this.encode(t)),
      this.padId,
    );
  }
}

/** Token rows right-padded with `padId` into one [batch, length] int64 batch with its attention mask. */
export function padBatch(rows: number[][], padId: number): EncodedBatch {
  const length = Math.max(...rows.map((r) => r.length));
  const ids = new BigInt64Array(rows.length * length).fill(BigInt(padId));
  const mask = new BigInt64Array(rows.length * length);
  rows.forEach((row, b) =>
    row.forEach((id, i) => {
      ids[b * length + i] = BigInt(id);
      mask[b * length + i] = 1n;
    }),
  );
  return { ids, mask, batch: rows.length, length };
}
