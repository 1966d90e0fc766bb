import { AppError } from '../errors.ts';

/**
 * The request body as a stream of chunks, failing with 413 as soon as it passes
 * `maxBytes`, so an oversized upload is never buffered whole.
 */
export async function* limitedBody(request: Request, maxBytes: number): AsyncGenerator<Uint8Array> {
  const declared = Number(request.headers.get('content-length') ?? '0');
  if (declared > maxBytes) throw new AppError('PAYLOAD_TOO_LARGE', `the body is larger than ${maxBytes} bytes`);
  if (!request.body) return;
  let seen = 0;
  for await (const chunk of request.body as unknown as AsyncIterable<Uint8Array>) {
    seen += chunk.byteLength;
    if (seen > maxBytes) throw new AppError('PAYLOAD_TOO_LARGE', `the body is larger than ${maxBytes} bytes`);
    yield chunk;
  }
}
