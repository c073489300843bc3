import { Component, Input } from '@angular/core';

/** A component with an attribute selector: `<p appHighlight>…</p>`. */
@Component({
  selector: '[appHighlight]',
  template: '<ng-content />',
  host: { '[style.background]': 'color', class: 'highlight' },
})
export class Highlight {
  @Input('appHighlight') color = '#fef08a';
}
