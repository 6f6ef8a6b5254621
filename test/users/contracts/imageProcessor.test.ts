import { ImageProcessorSharp } from "@nelo/adapters/images/ImageProcessorSharp"
import { ImageProcessorMemory } from "@nelo/adapters/memory/ImageProcessorMemory"
import { imageProcessorContract } from "./imageProcessorContract.ts"

imageProcessorContract("memory", ImageProcessorMemory)
imageProcessorContract("sharp", ImageProcessorSharp)
