import fc from "fast-check";

/**
 * Property tests run on a fixed seed in `npm test`, so CI is reproducible: a red run is a real
 * regression, not a new random draw. Exploration stays one variable away:
 * `FC_SEED=<n> npm test` replays a seed, `FC_RANDOM=1 npm test` draws a fresh one (printed on failure).
 */
if (!process.env.FC_RANDOM) {
  fc.configureGlobal({ seed: Number(process.env.FC_SEED ?? 20261125) });
}
