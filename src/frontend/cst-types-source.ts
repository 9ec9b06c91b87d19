/**
 * Produces the text of `cst.d.ts` (the CST node types) from the grammar with
 * chevrotain's `generateCstDts`. A test checks the committed file is current.
 */
import { generateCstDts } from 'chevrotain';
import { pplParser } from './parser.js';

export function cstTypesSource(): string {
  return generateCstDts(pplParser.getGAstProductions());
}
