// One interface for "what does this transcript feel like": the built-in lexicon (no download) or an installed ONNX
// zero-shot classifier. Both return the lexicon's TextEmotion shape, so the prompt composer never knows which.
import { analyzeText, type TextEmotion } from "./analyze-text";

export interface EmotionClassifier {
  /** "lexicon", or "nli:<model folder name>". */
  readonly name: string;
  classify(text: string): Promise<TextEmotion>;
}

export const lexiconClassifier: EmotionClassifier = {
  name: "lexicon",
  classify: async (text) => analyzeText(text),
};
