#!/usr/bin/env node
import { runBin } from "./internal/cli/bin.js"
import { main } from "./internal/cli/operation.js"

runBin(main)
