/** For routes that take no query parameters: any one sent is a 400 naming it, not silently ignored. */
export class NoQueryDto {}
