/**
 * @since 0.1.0
 */
export * as AssistantClient from "./AssistantClient.js"

/**
 * @since 0.1.0
 */
export * as AssistantError from "./AssistantError.js"

/**
 * @since 0.1.0
 */
export * as Operation from "./Operation.js"

/**
 * @since 0.1.0
 */
export * as OperationPoller from "./OperationPoller.js"

/**
 * @since 0.1.0
 */
export * as Emulator from "./Emulator.js"

/**
 * @since 0.2.0
 */
export * as AssistantFile from "./AssistantFile.js"

/**
 * @since 0.2.0
 */
export * as FileSource from "./FileSource.js"

/**
 * @since 0.2.0
 */
export * as Assistant from "./Assistant.js"

/**
 * @since 0.2.0
 */
export * as RateBudget from "./RateBudget.js"

/**
 * @since 0.2.0
 */
export * as AssistantSync from "./AssistantSync.js"

/**
 * @since 0.2.0
 */

/**
 * @since 0.2.0
 */
export * as AssistantClientTest from "./AssistantClientTest.js"

/**
 * @since 0.2.0
 */

/**
 * @since 0.2.0
 */
