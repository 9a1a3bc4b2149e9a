// Lint rules for the whole repository (ESLint 9 flat config): typescript-eslint's recommended set everywhere,
// React's hook rules for the panel's components. Every rule is either an error or off, so a clean run has no
// warnings to ignore. Formatting is Prettier's job (see .prettierrc.json), not ESLint's.
import js from "@eslint/js";
import globals from "globals";
import reactHooks from "eslint-plugin-react-hooks";
import tseslint from "typescript-eslint";

export default tseslint.config(
  {
    ignores: ["**/node_modules/**", "dist/**", "plugin/dist*/**", ".cache/**", "test-artifacts/**", "bench/models/**"],
  },
  { linterOptions: { reportUnusedDisableDirectives: "error" } },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ["**/*.ts", "**/*.tsx"],
    rules: {
      // `_name` marks a parameter or binding kept for its position (callbacks, destructuring) but not read.
      "@typescript-eslint/no-unused-vars": [
        "error",
        { argsIgnorePattern: "^_", varsIgnorePattern: "^_", caughtErrorsIgnorePattern: "^_", ignoreRestSiblings: true },
      ],
    },
  },
  {
    // Matching control characters is deliberate here: the protocol rejects them in text fields, and tests read
    // terminal escape sequences.
    rules: { "no-control-regex": "off" },
  },
  {
    // Plain CommonJS files run by Node directly (bin, scripts, jest and webpack configs, the test environment).
    files: ["**/*.js", "**/*.cjs"],
    languageOptions: { sourceType: "commonjs", globals: { ...globals.node } },
    rules: { "@typescript-eslint/no-require-imports": "off" },
  },
  {
    // Tests read arbitrary JSON answers from the helper and poke at private shapes: `any` is honest there.
    files: ["tests/**/*.ts"],
    rules: { "@typescript-eslint/no-explicit-any": "off" },
  },
  {
    // Jest's set-up files see its globals (expect, jest) like the tests do.
    files: ["tests/**/*.js"],
    languageOptions: { globals: { ...globals.jest } },
  },
  {
    files: ["**/*.mjs"],
    languageOptions: { sourceType: "module", globals: { ...globals.node } },
  },
  {
    // The panel's React components: hooks called unconditionally, effect dependencies listed.
    files: ["plugin/**/*.tsx"],
    plugins: { "react-hooks": reactHooks },
    rules: {
      "react-hooks/rules-of-hooks": "error",
      "react-hooks/exhaustive-deps": "error",
    },
  },
);
