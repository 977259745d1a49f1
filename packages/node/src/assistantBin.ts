#!/usr/bin/env node
import { main } from "./internal/cli/assistant.js"
import { runBin } from "./internal/cli/bin.js"

runBin(main)
