import { Component, Input } from '@angular/core';
import { Section } from '../section/section';

/** Level 2. */
@Component({
  selector: 'app-panel',
  imports: [Section],
  templateUrl: './panel.html',
})
export class Panel {
  @Input() title = '';
}
