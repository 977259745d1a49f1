/**
 * @since 0.1.0
 */
export * as NodeAssistantClient from "./NodeAssistantClient.js"

/**
 * @since 0.1.0
 */
export * as NodeEmulator from "./NodeEmulator.js"

/**
 * @since 0.2.0
 */
export * as NodeFileSource from "./NodeFileSource.js"
