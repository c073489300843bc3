import { Component, Input } from '@angular/core';
import { Leaf } from '../leaf/leaf';

/** Level 3. */
@Component({
  selector: 'app-section',
  imports: [Leaf],
  templateUrl: './section.html',
})
export class Section {
  @Input() heading = '';
}
