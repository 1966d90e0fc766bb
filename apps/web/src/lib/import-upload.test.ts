import { describe, expect, it } from 'vitest';
import { problemText } from '$lib/import-upload.ts';

describe('problemText', () => {
  it('names the row and the column when the server gives them', () => {
    expect(problemText({ row: 2, column: 'Reach', message: '"many" is not a whole number' })).toBe('Row 2, column Reach: "many" is not a whole number');
    expect(problemText({ row: 4, message: 'has 3 cells, the header has 2' })).toBe('Row 4: has 3 cells, the header has 2');
    expect(problemText({ column: 'title', message: 'no column for the required "title"' })).toBe('column title: no column for the required "title"');
    expect(problemText({ message: 'malformed CSV' })).toBe('malformed CSV');
  });
});
