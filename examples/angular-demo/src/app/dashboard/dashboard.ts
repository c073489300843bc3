import { Component } from '@angular/core';
import { Panel } from './panel/panel';

/** Level 1 of four nested components, each with an external template. */
@Component({
  selector: 'app-dashboard',
  imports: [Panel],
  templateUrl: './dashboard.html',
})
export class Dashboard {}
