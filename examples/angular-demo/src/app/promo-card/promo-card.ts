import { Component } from '@angular/core';

/**
 * Deliberately broken, for the demo: the heading has a typo ("Sumer" for
 * "Summer") and the call-to-action button is red, where the design says green
 * (#16a34a). Annotate it and let the agent fix it.
 */
@Component({
  selector: 'app-promo-card',
  templateUrl: './promo-card.html',
  styleUrl: './promo-card.css',
})
export class PromoCard {}
