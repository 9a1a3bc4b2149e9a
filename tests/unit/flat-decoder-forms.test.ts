// Which layout the decoder rewrite gives each attention form, and the reason it records: the exported fixtures
// (torch.onnx.export) get in-place; an attention it does not know falls to capacity (saying why); a fused attention
// op, which keeps its past inside, gets no flat file at all (the engine then runs the published graph).
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { onnx } from "onnx-proto";
import { ONNX_DIR, ONNX_FILES } from "../../models/layout";
import { FLAT_LAYOUT_KEY, FLAT_REASON_KEY, writeFlatDecoder } from "../../models/transform";
import { readMetadata } from "../../models/transform/onnx-file";
import { EXPORTED_FIXTURES } from "../helpers/exported-model";

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "cuesmith-forms-"));
  fs.mkdirSync(path.join(dir, ONNX_DIR));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

/** Puts `fixture` in place as the fp32 decoder, after `edit` changed its cached branch. */
function install(fixture: string, edit: (cached: onnx.IGraphProto) => void = () => {}): void {
  const model = onnx.ModelProto.decode(fs.readFileSync(path.join(EXPORTED_FIXTURES, `${fixture}.onnx`)));
  const ifNode = model.graph!.node!.find((n) => n.opType === "If")!;
  edit(ifNode.attribute!.find((a) => a.name === "then_branch")!.g!);
  fs.writeFileSync(path.join(dir, ONNX_DIR, ONNX_FILES.decoder.fp32), onnx.ModelProto.encode(model).finish());
}

const metadata = () => readMetadata(path.join(dir, ONNX_DIR, ONNX_FILES.decoderFlat.fp32));
const selfKeyConcat = (g: onnx.IGraphProto, layer: number) =>
  g.node!.find((n) => n.opType === "Concat" && n.input!.includes(`past_key_values.${layer}.decoder.key`))!;

describe("attention forms", () => {
  it.each([
    ["bart", "3-D reshape + bmm"],
    ["sdpa-after", "4-D MatMul with a scale Mul on K"],
    ["sdpa-before", "4-D MatMul with a scale Mul on K"],
  ])("the %s export gets the in-place layout", (fixture, form) => {
    install(fixture);
    writeFlatDecoder(dir, "fp32");
    expect(metadata()[FLAT_LAYOUT_KEY]).toBe("in-place");
    expect(metadata()[FLAT_REASON_KEY]).toBe(`all 2 cached self-attentions matched (${form})`);
  });

  it("a scale that is not a scalar: capacity, and the reason names the Mul", () => {
    install("sdpa-after", (g) => {
      const concatOut = selfKeyConcat(g, 1).output![0];
      const transpose = g.node!.find((n) => n.opType === "Transpose" && n.input![0] === concatOut)!;
      const mul = g.node!.find((n) => n.opType === "Mul" && n.input!.includes(transpose.output![0]))!;
      // a per-position weighting (an outer-scope tensor of unknown shape) is not a scale the rewrite may move onto q
      mul.input = [transpose.output![0], "encoder_hidden_states"];
    });
    writeFlatDecoder(dir, "fp32");
    expect(metadata()[FLAT_LAYOUT_KEY]).toBe("capacity");
    expect(metadata()[FLAT_REASON_KEY]).toMatch(
      /^in-place does not apply: .*Mul by encoder_hidden_states, which is not a scalar/,
    );
  });

  it("an unknown node between the cache and its MatMul: capacity", () => {
    install("bart", (g) => {
      const concat = selfKeyConcat(g, 0);
      const relay = `${concat.output![0]}/relay`;
      for (const n of g.node!) n.input = n.input!.map((v) => (v === concat.output![0] ? relay : v));
      g.node!.splice(g.node!.indexOf(concat) + 1, 0, {
        name: "relay",
        opType: "Neg",
        input: [concat.output![0]],
        output: [relay],
      });
    });
    writeFlatDecoder(dir, "fp32");
    expect(metadata()[FLAT_LAYOUT_KEY]).toBe("capacity");
    expect(metadata()[FLAT_REASON_KEY]).toMatch(/Neg between the cache and its MatMul/);
  });

  it("a fused attention op that keeps its own past: no flat file, both layouts' reasons in the error", () => {
    install("bart", (g) => {
      const concat = selfKeyConcat(g, 0);
      Object.assign(concat, { opType: "MultiHeadAttention", domain: "com.microsoft", attribute: [] });
    });
    expect(() => writeFlatDecoder(dir, "fp32")).toThrow(
      /in-place does not apply: .*; capacity does not apply: .*reads the past but is not built by a Concat/,
    );
    expect(fs.existsSync(path.join(dir, ONNX_DIR, ONNX_FILES.decoderFlat.fp32))).toBe(false);
  });
});
