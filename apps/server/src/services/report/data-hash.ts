/**
 * The report's fingerprint of its data: SHA-256 over the bytes of the long codings export
 * followed by the bytes of the codebook JSON export, so a reader recomputes it from the
 * two downloaded files with `cat codings-long.csv codebook.json | sha256sum`.
 */
import { createHash } from 'node:crypto';

export function dataHash(codingsLongCsv: string, codebookJson: string): string {
  return createHash('sha256').update(codingsLongCsv, 'utf8').update(codebookJson, 'utf8').digest('hex');
}

export function hashCovers(projectId: string, codebookVersion: number): string {
  return (
    `SHA-256 of the bytes of the long codings export (GET /api/projects/${projectId}/export/codings.csv?layout=long: ` +
    'the submitted, pre-adjudication codings of revealed items as unit,coder,field,value CSV, the data every coefficient here uses) ' +
    `followed directly by the bytes of the codebook export (GET /api/projects/${projectId}/export/codebook.json: version ${codebookVersion}, ` +
    'canonical JSON with sorted keys). Recompute it with: cat codings-long.csv codebook.json | sha256sum'
  );
}
