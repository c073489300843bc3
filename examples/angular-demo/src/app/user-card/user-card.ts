import { Component, Input } from '@angular/core';
import { DatePipe } from '@angular/common';

export interface Address {
  city: string;
  country: string;
}

/** Classic decorator inputs of several types: string, number, array, object, Date. */
@Component({
  selector: 'app-user-card',
  imports: [DatePipe],
  templateUrl: './user-card.html',
  styleUrl: './user-card.css',
})
export class UserCard {
  @Input() name = '';
  @Input() age = 0;
  @Input() tags: string[] = [];
  @Input() address: Address = { city: '', country: '' };
  @Input() joined: Date = new Date(0);
}
