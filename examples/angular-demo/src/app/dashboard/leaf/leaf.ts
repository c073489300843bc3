import { Component, Input } from '@angular/core';

/** Level 4: the innermost component. */
@Component({
  selector: 'app-leaf',
  templateUrl: './leaf.html',
})
export class Leaf {
  @Input() value = 0;
  @Input() unit = '';
}
