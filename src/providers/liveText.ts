// A run's live text (an LLM's answer as it streams) held while it grows. A stream may send
// hundreds of megabytes of it; the run, its snapshots, the store and the details panel would all
// hold the whole text, so only its start is kept: `runTextChars` characters in all, the note that
// says it was cut included, the same as history keeps — a stored copy is then this text as it is.
import { textStart } from '../util/text';
import { detached, runTextChars, textCutNote, utf8Length } from './bound';

export class LiveText {
  /** The start of the text, never longer than `maxChars`. */
  private kept = '';
  private cut = false;
  /** UTF-8 bytes of the whole text received, for the note. */
  private bytes = 0;

  constructor(private readonly maxChars: number = runTextChars) {}

  append(chunk: string): void {
    this.bytes += utf8Length(chunk);
    if (this.cut) return;
    if (this.kept.length + chunk.length <= this.maxChars) this.kept += chunk;
    else {
      this.kept = detached(textStart(this.kept + chunk.slice(0, this.maxChars - this.kept.length + 1), this.maxChars));
      this.cut = true;
    }
  }

  /** The text as shown: all of it, or its start and a line saying how big it was. */
  get text(): string {
    if (!this.cut) return this.kept;
    const note = `\n${textCutNote(this.bytes)}`;
    return textStart(this.kept, Math.max(0, this.maxChars - note.length)) + note;
  }
}
