/**
 * `node --import <this file>` writes the URL of every module loaded after it, one a line, to the
 * file named by TERMFLOW_RECORD_LOADS: tests see what importing something really loads. Worker
 * threads inherit the flag, so their modules are written too.
 */
import { register } from "node:module";

register(new URL("./record-loads-hooks.js", import.meta.url));
