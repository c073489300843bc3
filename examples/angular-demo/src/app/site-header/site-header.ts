import { Component } from '@angular/core';

/** A component without inputs. */
@Component({
  selector: 'app-site-header',
  templateUrl: './site-header.html',
  styleUrl: './site-header.css',
})
export class SiteHeader {}
