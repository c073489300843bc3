import { Component, computed, input } from '@angular/core';

/** Signal inputs, one of them aliased (`itemCount` outside, `count` inside). */
@Component({
  selector: 'app-status-badge',
  templateUrl: './status-badge.html',
  styleUrl: './status-badge.css',
})
export class StatusBadge {
  readonly label = input.required<string>();
  readonly level = input<'ok' | 'warn'>('ok');
  readonly count = input(0, { alias: 'itemCount' });
  protected readonly text = computed(() => `${this.label()}: ${this.count()}`);
}
